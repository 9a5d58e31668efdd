# ruff: noqa: E501  (a text dump holds a whole paragraph on one line)
"""The clean stage on the seed pages, on synthetic pages from other kinds of sites, on HTML and on noise.

The synthetic pages imitate site furniture the seeds do not have (cookie banners, share
rows, author boxes, WordPress and forum comment lists, other languages); each test says
what must stay (the article), what must go (furniture) and what must be set apart
(comments).  Seed lines named here are test data only: the cleaner knows none of them.
"""

from __future__ import annotations

import re
import time
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdossier.clean import CleanError, clean_page, join_blocks
from newsdossier.clean.dom import extract_main, main_text
from newsdossier.clean.html import extract_html
from newsdossier.clean.language import detect_language
from newsdossier.clean.lines import Kind, classify
from newsdossier.clean.textdump import extract_text_dump
from newsdossier.clean.visible import visible_text
from newsdossier.dedup import drop_repeated_paragraphs
from newsdossier.model import Document, RawPage

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"

# ---------------------------------------------------------------- synthetic pages (no seed content)

COOKIE_NAV_RELATED = """\
We use cookies to improve your experience on our site. By continuing to browse, you agree to our use of cookies.
Accept all cookies
Manage preferences

Skip to main content

Harbourview Gazette
Menu
Search

    News
    Business
    Sport
    Culture
    Opinion

News › Local › Transport

City council approves new tram line to the eastern suburbs

By Jane Doe | March 3, 2024

The city council voted on Tuesday to approve a new tram line linking the central station with the eastern suburbs, ending a debate that has lasted for more than a decade.

The line will run for 14 kilometres and serve eleven stops, according to the plans published by the transport department. Construction is expected to begin next spring and to take about four years.

Council members who opposed the project said the cost, estimated at 620 million euros, was too high for a city that is still repaying debts from the last stadium renovation.

Supporters argued that the tram would cut travel times for tens of thousands of commuters who now depend on crowded buses, and that it would reduce traffic on the ring road.

Share this article
Facebook
Twitter
WhatsApp
Email
Copy link

Jane Doe
Jane Doe is the Gazette's transport correspondent. She has covered city hall since 2015.
Follow @janedoe

Related articles

Bus drivers announce strike for next week
New cycling lanes open along the river
Ring road closures planned over the summer
Mayor promises cheaper monthly passes

Advertisement

Sign up for our morning newsletter
Enter your email address
Subscribe

About us | Contact us | Privacy policy | Terms of use
© 2024 Harbourview Gazette. All rights reserved.
"""

WORDPRESS_COMMENTS = """\
Skip to content
The Garden Notebook
Home
About
Recipes
Contact

Why the early frost hurt this year's apple harvest
Posted on October 12, 2023 by Tom Baker

Orchards across the valley lost a large part of their crop after an unusually early frost arrived at the end of September, while many trees were still carrying fruit.

Growers said the cold nights damaged the blossoms of late varieties and left the apples on the branches soft and bruised. Several farms have already told their buyers that deliveries will be smaller than planned.

The regional growers' association estimates that the harvest will be about a third lower than last year, and it has asked the agriculture ministry for emergency support.

Filed under: Farming, Weather
Tags: apples, frost, harvest

3 Comments

Maria Lopez
October 12, 2023 at 6:41 pm
We lost nearly half of our Braeburns, and the insurance company says the frost is not covered because it came too early in the season.
Reply

Peter Hansen
October 13, 2023 at 8:02 am
Our neighbours covered their trees with fleece and it seems to have helped a lot, though it is a lot of work for a big orchard.
Reply

Anna K.
October 14, 2023 at 9:30 pm
Thank you for writing about this, the local papers have barely mentioned the problem and prices at the market are already going up.
Reply

Leave a Reply
Your email address will not be published. Required fields are marked *
Comment *
Name *
Email *
Website
Save my name, email, and website in this browser for the next time I comment.
Post Comment
"""

PHPBB_FORUM = """\
Skip to content
Board index ‹ World ‹ Energy

Neighbouring countries sign deal on shared hydropower dam

Post Reply
Search this topic…
5 posts • Page 1 of 1

riverwatch
Posts: 812
Joined: Sat Apr 02, 2016 10:11 am
Post by riverwatch » Mon Mar 04, 2024 9:12 am

The two governments signed an agreement on Monday to build and operate a hydropower dam on the river that forms their common border. The plant is meant to produce about 1,200 megawatts once it is finished.

Under the deal, both countries will share the electricity equally and split the construction costs, which engineers put at roughly two billion dollars. Work is supposed to start within eighteen months.

Environmental groups have criticised the plan, saying it will flood several villages and change the flow of water to farmland further downstream.

Top

oldsparky
Posts: 2301
Post by oldsparky » Mon Mar 04, 2024 10:40 am

Another white elephant. The last dam in that region took twice as long to build as promised and still runs below capacity most of the year.

Top

greenvalley
Posts: 57
Post by greenvalley » Mon Mar 04, 2024 1:05 pm

oldsparky wrote: ↑Mon Mar 04, 2024 10:40 am
Another white elephant. The last dam in that region took twice as long to build as promised and still runs below capacity most of the year.

That dam had problems because of the drought years, not because of bad engineering, and this river carries far more water all year round.

Top

Display: All posts Sort by: Post time Direction: Ascending
Return to “Energy”
Jump to
Who is online
Users browsing this forum: No registered users and 3 guests
Powered by phpBB® Forum Software © phpBB Limited
Privacy | Terms
"""

DISCOURSE_FORUM = """\
Skip to main content
Log In
Sign Up

Volunteers clean up beaches after oil spill near the harbour
Local News
oil-spill environment

First post
Mar 2024
Last reply
Mar 2024
2 replies
340 views

coastie
Mar 10

Hundreds of volunteers gathered on the beaches north of the harbour on Saturday to remove oil that washed ashore after a tanker leaked part of its cargo earlier in the week.

The coast guard said the leak had been stopped and that most of the oil was now contained behind floating barriers, but birds covered in oil were still being found along the shore.

3 Likes

seagull42
Mar 10

I was there in the morning and the organisation was impressive, although there were not nearly enough gloves and bags for everyone who turned up.

2 Likes

marinebio
Mar 11

The real damage will only be visible in a few months, when we know how much of the oil reached the seabed and the mussel beds near the estuary.

1 Like

Related topics
Topic	Replies	Views	Activity
Tanker company fined for safety failures	4	512	Feb 2024
New rules for ships entering the harbour	11	1.2k	Jan 2024
"""

GERMAN = """\
Zum Inhalt springen
Menü
Suche
Anmelden

Startseite > Politik > Ausland

Regierung beschließt neues Gesetz zum Schutz der Wälder

Von Max Mustermann | 5. März 2024, 14:30 Uhr

Die Bundesregierung hat am Dienstag ein neues Gesetz beschlossen, das den Schutz der Wälder deutlich verbessern soll. Künftig sollen Waldbesitzer stärker gefördert werden, wenn sie ihre Flächen naturnah bewirtschaften.

Nach Angaben des Ministeriums sind in den vergangenen Jahren mehr als eine halbe Million Hektar Wald durch Trockenheit und Schädlinge geschädigt worden. Die neuen Regeln sollen dazu beitragen, dass die Wälder widerstandsfähiger gegen den Klimawandel werden.

Umweltverbände begrüßten das Gesetz grundsätzlich, kritisierten aber, dass die geplanten Mittel nicht ausreichen würden. Die Opposition kündigte an, im Bundestag Änderungen zu verlangen.

Artikel teilen
Facebook
Twitter
E-Mail

Mehr zum Thema
Waldbrände im Sommer: Was Experten empfehlen
Borkenkäfer breitet sich weiter aus

Newsletter abonnieren
Impressum | Datenschutz | Kontakt
© 2024 Beispiel Zeitung. Alle Rechte vorbehalten.
"""

FRENCH = """\
Aller au contenu principal
Se connecter
S'abonner

Accueil › International › Europe

La France et l'Espagne inaugurent une nouvelle liaison ferroviaire

Par Claire Martin | Publié le 12 avril 2024 à 09h15

La France et l'Espagne ont inauguré vendredi une nouvelle liaison ferroviaire à grande vitesse entre Toulouse et Barcelone, qui doit réduire le temps de trajet à moins de trois heures.

Selon les deux compagnies ferroviaires, six allers-retours seront proposés chaque jour dès le mois de mai. Le prix des billets sera fixé en fonction de la demande, avec des tarifs réduits pour les jeunes.

Les élus des deux côtés de la frontière espèrent que cette ligne favorisera le tourisme et les échanges économiques entre les deux régions.

Partager
Facebook
Twitter
Envoyer par e-mail

À lire aussi
Grève à la SNCF : le trafic perturbé ce week-end
Les prix des billets de train en hausse

Mentions légales | Politique de confidentialité | Nous contacter
© 2024 Le Journal Exemple. Tous droits réservés.
"""

LIST_TABLE = """\
Skip to main content
Menu

Science › Health

What the new vaccination schedule changes for families
Changes to the measles, whooping cough and pneumococcal vaccines from June
Jane Doe, Health Correspondent
By Jane Doe | March 3, 2024

The health ministry published a new vaccination schedule on Monday that changes the recommended age for several routine vaccines.

The main changes are the following:

  • The first measles dose moves from 12 months to 11 months of age.
  • A booster against whooping cough is now recommended for all teenagers.
  • Adults over 60 are offered a free pneumococcal vaccine.

Doctors' associations welcomed the changes, saying they bring the country in line with its neighbours and should reduce outbreaks in schools.

| Vaccine | Old age | New age |
|---|---|---|
| Measles (first dose) | 12 months | 11 months |
| Whooping cough booster | none | 14 years |
| Pneumococcal | 65 years | 60 years |

The ministry said the new schedule would take effect on the first of June and that family doctors would receive detailed guidance beforehand.

Share on Facebook
Share on Twitter

Most read
Hospital waiting times fall for third month
New clinic opens in the old post office
"""

INDEX_PAGE = """\
Skip to main content
Harbourview Gazette
Menu
Search
News | Business | Sport | Culture

Top stories

City council approves new tram line to the eastern suburbs
Bus drivers announce strike for next week
New cycling lanes open along the river
Ring road closures planned over the summer
Mayor promises cheaper monthly passes
Local bakery wins national bread prize
Storm warning for the coast on Friday

Load more

About us | Contact us | Privacy policy
© 2024 Harbourview Gazette. All rights reserved.
"""

SHORT_PAGE = """\
Home
Page not found
Sorry, we could not find that page.
"""

EMPTY = ""

TEASERS_BIO_COOKIE = """\
Northern Ledger
Politics | Economy | World | Sport

Parliament extends fishing ban in the northern bay for two more years

By Sam Rivera
Published 14 May 2024

Parliament voted on Wednesday to extend the ban on commercial fishing in the northern bay until 2026, after scientists warned that cod stocks had not yet recovered.

The ban was first introduced three years ago and was due to expire this summer. Fishing companies had lobbied for it to end, arguing that hundreds of jobs in the port towns depended on the catch.

Sign up for our newsletter to get the day's most important stories delivered to your inbox every morning.

The environment minister said the government would offer compensation to crews who lose income, and that the ban would be reviewed again next spring.
Sam Rivera
Sam Rivera covers the environment and fisheries for the Ledger. He previously worked as a marine biologist on the west coast.
We use cookies to personalise content and ads and to analyse our traffic. By clicking accept, you agree to the use of cookies.
Accept all
Reject all

More from Politics

Coalition partners clash over the new budget rules
By Lena Fischer | 13 May 2024
The two parties disagree on how much the government should be allowed to borrow in the coming years.

Ports demand faster decisions on new quays
By Omar Haddad | 12 May 2024
Harbour operators say planning permits now take more than four years and are holding back investment.
"""

LIVE_BLOG = """\
Live: Storm hits the coast
Updated 16 March 2024

10:42
The storm has reached the southern coast, with wind gusts of more than 120 kilometres per hour recorded at the lighthouse near the harbour.

10:15
Ferry services between the mainland and the islands have been suspended for the rest of the day, the operator said in a statement on its website.

09:50
Schools in three districts will remain closed today, and residents have been told to stay indoors unless their journey is absolutely necessary.

Share
"""

TEASER_INDEX = """\
Daily Courier
Menu
Latest news

Council approves new tram line to the eastern suburbs
The vote ends a debate that has lasted for more than a decade in the city council.

Bus drivers announce strike for next week
Unions say talks with the transport company over wages and shifts have failed.

New cycling lanes open along the river
The lanes connect the old town with the university campus and the main station.

Mayor promises cheaper monthly passes
The price of a monthly ticket would fall by a fifth under the plan presented on Monday.
"""

SIMPLE_COMMENTS = """\
Museum returns stolen paintings to their owners

The city museum has returned four paintings that were stolen from a private collection in the 1970s and later bought by the museum in good faith, its director said on Thursday.

The works were identified last year by researchers who were checking the history of the museum's collection. The owners' family said they were grateful and would lend two of the paintings back for an exhibition.

Comments (2)

It is good to see a museum taking responsibility instead of hiding behind the law on this kind of case.
I wonder how many other paintings in public collections have a similar history that nobody has checked.
"""

LONG_COMMENTS = """\
Town to close library branch

The town council decided on Monday to close the library branch in the old market hall at the end of the year to save money.

The books will be moved to the main library, which will extend its opening hours on Saturdays.

Share this article
Facebook
Twitter
Email

4 Comments

This is a terrible decision. The branch in the market hall is the only place where many older people in the neighbourhood can read newspapers, meet each other and get help with their computers, and the main library is a long bus ride away for them.
I have used that branch for twenty years and the staff there know every child who comes in after school. Closing it to save a small amount of money is short-sighted, and the council will regret it when the building stands empty and starts to decay like the old cinema did.
"""

BIO_NO_SHARE = """\
Rail strike called off after last-minute deal

By Priya Natarajan
March 9, 2024

Train drivers have called off next week's strike after the rail company agreed to a new pay offer late on Friday night, the union said.

The deal includes a pay rise of six percent this year and a further four percent next year, as well as changes to shift patterns that drivers had complained about.

Priya Natarajan
Priya Natarajan is our transport reporter. She joined the paper in 2019 after working for a news agency in Delhi.
"""


# ---------------------------------------------------------------- helpers


def clean_text(content: str, source: str = "page.txt") -> Document:
    return drop_repeated_paragraphs(clean_page(RawPage(source=source, content=content, kind="text")))


def clean_html(content: str, source: str = "page.html") -> Document:
    return clean_page(RawPage(source=source, content=content, kind="html"))


def assert_well_formed(doc: Document) -> None:
    """Offsets slice exactly to each paragraph; the text is the paragraphs joined by blank lines."""
    slices = [doc.text[p.start : p.end] for p in doc.paragraphs]
    assert doc.text == "\n\n".join(slices)
    offset = 0
    for p, body in zip(doc.paragraphs, slices, strict=True):
        assert p.start == offset
        assert body and body == body.strip()
        offset = p.end + 2
    if doc.title:
        assert doc.paragraphs[0].kind == "title"
        assert slices[0] == doc.title
    assert sum(1 for p in doc.paragraphs if p.kind == "title") <= 1


def assert_comments_apart(doc: Document) -> None:
    for comment in doc.comments:
        assert comment.text.strip()
        for line in comment.text.split("\n"):
            assert line not in doc.text


def assert_absent(doc: Document, furniture: list[str]) -> None:
    everywhere = doc.text + "\n" + "\n".join(c.text for c in doc.comments)
    for line in furniture:
        assert line not in everywhere, line


def bodies(doc: Document) -> list[str]:
    return [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "body"]


# ---------------------------------------------------------------- seeds


@cache
def seed(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return clean_text(path.read_text(encoding="utf-8"), path.name)


SEED_IDS = ["000", "001", "002", "003", "004"]

# Lines of the seeds that are page furniture: none of them may reach an article text.
SEED_FURNITURE: dict[str, list[str]] = {
    "000": ["German Engineering Jobs", "Write a comment", "Post comment", "Cancel"],
    "001": [
        "Home » World »",
        "video-container",
        "Leave a Comment",
        "This site uses Akismet to reduce spam",
        "Learn how your comment data is processed",
        "Share your views in the comments below",
    ],
    "002": [
        "Left Menu",
        "Devdiscourse News Desk",
        "Image Credit: ANI",
        "Country:",
        "TRENDING",
        "Yellen Criticizes Trump's Proposed Agency as Redundant",
        "Argentina Overhauls Anti-Dumping System to Boost Competition",
        "Marco Rubio's Diplomatic Venture: A New American Foreign Policy",
        "Farewell to a Financial Firestarter: Hindenburg's Final Chapter",
        "OPINION / BLOG / INTERVIEW",
        "India’s generative AI revolution",
        "Education reimagined: AI-powered textbooks for smarter learning",
        "Building a safer digital factory",
        "A smarter approach to Prognosis",
        "DevShots",
        "Latest News",
        "Connect us on",
        "LinkedIn Quora Youtube RSS",
        "Give Feedback",
        "Subscribe to our Newsletter",
        "SECTORS",
        "EDITIONS",
        "OTHER LINKS",
        "OTHER PRODUCTS",
        "CONNECT",
        "info@devdiscourse.com",
        "Email:",
        "Phone:",
        "+91-720-6444012",
        "VisionRI",
        "Disclaimer",
        "Terms of use",
        "Privacy Policy",
        "© Copyright 2025",
    ],
    "003": [
        "Jump to content",
        "Recommended Posts",
        "Posted",
        "image.png",
        "news-logo-btm.jpg",
        "Like 1",
        "Thumbs Up 1",
        "Sad 1",
        "spidermike007 said:",
        "Create an account or sign in to comment",
        "You need to be a member in order to leave a comment",
        "Sign up for a new account in our community",
        "Register a new account",
        "Sign in",
        "Already have an account?",
        "Sign In Now",
        "Recently Browsing",
        "No registered users viewing this page",
        "Create New...",
    ],
    "004": ["**"],
}

SEED_TITLES = {
    "000": "Russia and Iran Forge Two-Decade Strategic Partnership Amid Ongoing Conflict",
    "001": "Russian and Iranian Presidents Sign 20-Year Strategic Treaty to Boost Defense Cooperation",
    "002": "Forging Alliances: Russia and Iran's Strategic Partnership",
    "003": "Russia and Iran to Solidify Alliance with Strategic Partnership Treaty",
    "004": "Strengthening Alliances: Russia and Iran Forge Military Partnership",
}

# The first and the last sentence of each seed's article: everything between must be kept too.
SEED_ARTICLE_EDGES = {
    "000": ("In a significant development in international relations", "particularly in light of ongoing tensions"),
    "001": ("in a historic move, Russian President Vladimir Putin", "for ongoing coverage of this evolving story."),
    "002": ("Russian President Vladimir Putin and Iranian President Masoud Pezeshkian are set to sign",
            "despite facing various geopolitical challenges in the region."),
    "003": ("Russian President Vladimir Putin and Iranian President Masoud Pezeshkian are set to meet",
            "countering shared challenges on the global stage."),
    "004": ("As Russia and Iran deepen their military collaboration",
            "with both nations keen to bolster their positions against external pressures."),
}


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_seed_furniture_never_reaches_text(prefix: str) -> None:
    doc = seed(prefix)
    for other in SEED_IDS:
        for line in SEED_FURNITURE[other]:
            assert line not in doc.text, (prefix, line)


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_seed_title_article_and_offsets(prefix: str) -> None:
    doc = seed(prefix)
    assert doc.title == SEED_TITLES[prefix]
    assert doc.language == "en"
    first, last = SEED_ARTICLE_EDGES[prefix]
    assert first in doc.text and last in doc.text
    assert doc.text.index(first) < doc.text.index(last)
    assert_well_formed(doc)
    assert_comments_apart(doc)


def test_seed_dates() -> None:
    assert seed("000").date == date(2025, 1, 17)
    assert seed("000").date_origin == "header"
    assert seed("002").date == date(2025, 1, 17)
    assert seed("002").updated == date(2025, 1, 17)


def test_seed_001_keeps_its_table_and_subheadings() -> None:
    doc = seed("001")
    tables = [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "table"]
    assert tables and "| Duration | 20 years |" in tables[0]
    assert all("——" not in t for t in tables)
    headings = [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "heading"]
    assert "Military Cooperation and Its Implications" in headings


def test_seed_003_forum_replies_are_comments() -> None:
    doc = seed("003")
    assert [c.text.split()[:3] for c in doc.comments] == [
        ["The", "baddies", "coming"],
        ["Yeah", "they", "seem"],
        ["Are", "you", "talkng"],
    ]
    assert "Now what happens if the west decides" in doc.comments[0].text
    quoted = "they both possess a total and complete moral bankruptcy"
    assert sum(c.text.count(quoted) for c in doc.comments) == 1
    assert quoted not in doc.comments[2].text
    assert doc.comments[1].author == "spidermike007"
    for phrase in ("baddies", "moral bankruptcy", "talkng"):
        assert phrase not in doc.text
    assert "Based on a report by Politico" not in " ".join(c.text for c in doc.comments)


def test_seed_004_repeated_paragraphs_dropped() -> None:
    raw = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    doc = seed("004")
    assert len(doc.repeated) == 5
    for rep in doc.repeated:
        assert doc.text.count(rep.text) == 1
        assert doc.text[rep.first_start : rep.first_start + len(rep.text)] == rep.text
        assert raw.count(rep.text) == 2
    body = bodies(doc)
    assert len(body) == len(set(body))
    assert_well_formed(doc)


def test_seeds_have_no_comments_but_003() -> None:
    assert [p for p in SEED_IDS if seed(p).comments] == ["003"]


# ---------------------------------------------------------------- synthetic pages from other sites


def test_cookie_banner_nav_share_bio_and_related_list_removed() -> None:
    doc = clean_text(COOKIE_NAV_RELATED)
    assert doc.title == "City council approves new tram line to the eastern suburbs"
    assert doc.date == date(2024, 3, 3)
    assert doc.author == "Jane Doe"
    assert doc.language == "en"
    assert [b.split()[:3] for b in bodies(doc)] == [
        ["The", "city", "council"],
        ["The", "line", "will"],
        ["Council", "members", "who"],
        ["Supporters", "argued", "that"],
    ]
    assert_absent(doc, [
        "We use cookies", "Accept all cookies", "Manage preferences", "Skip to main content", "Harbourview",
        "Menu", "Search", "Opinion", "News › Local", "By Jane Doe", "Share this article", "Facebook",
        "WhatsApp", "Copy link", "Gazette's transport correspondent", "Follow @janedoe", "Related articles",
        "Bus drivers announce strike", "Mayor promises cheaper", "Advertisement", "morning newsletter",
        "Enter your email", "Subscribe", "Privacy policy", "All rights reserved",
    ])
    assert doc.comments == []
    assert_well_formed(doc)


def test_wordpress_comment_list_with_authors_and_dates() -> None:
    doc = clean_text(WORDPRESS_COMMENTS)
    assert doc.title == "Why the early frost hurt this year's apple harvest"
    assert doc.date == date(2023, 10, 12)
    assert doc.author == "Tom Baker"
    assert len(bodies(doc)) == 3
    assert [(c.author, c.posted) for c in doc.comments] == [
        ("Maria Lopez", "October 12, 2023 at 6:41 pm"),
        ("Peter Hansen", "October 13, 2023 at 8:02 am"),
        ("Anna K.", "October 14, 2023 at 9:30 pm"),
    ]
    assert doc.comments[0].text.startswith("We lost nearly half of our Braeburns")
    assert doc.comments[2].text.endswith("prices at the market are already going up.")
    assert_absent(doc, [
        "The Garden Notebook", "Recipes", "Posted on", "Filed under", "Tags:", "3 Comments", "Reply",
        "Your email address will not be published", "Required fields", "Save my name", "Post Comment", "Website",
    ])
    assert_comments_apart(doc)
    assert_well_formed(doc)


def test_phpbb_thread_first_post_is_article_replies_are_comments() -> None:
    doc = clean_text(PHPBB_FORUM)
    assert doc.title == "Neighbouring countries sign deal on shared hydropower dam"
    assert doc.date == date(2024, 3, 4)
    assert doc.author == "riverwatch"
    assert [b.split()[:3] for b in bodies(doc)] == [
        ["The", "two", "governments"], ["Under", "the", "deal,"], ["Environmental", "groups", "have"],
    ]
    assert [(c.author, c.posted) for c in doc.comments] == [
        ("oldsparky", "Mon Mar 04, 2024 10:40 am"),
        ("greenvalley", "Mon Mar 04, 2024 1:05 pm"),
    ]
    quoted = "Another white elephant."
    assert doc.comments[0].text.startswith(quoted)
    assert quoted not in doc.comments[1].text
    assert doc.comments[1].text.startswith("That dam had problems")
    assert_absent(doc, [
        "Board index", "Post Reply", "Search this topic", "5 posts", "Posts: 812", "Joined:", "Post by",
        "Top", "wrote:", "Display: All posts", "Who is online", "Users browsing", "Powered by phpBB",
    ])
    assert_comments_apart(doc)
    assert_well_formed(doc)


def test_discourse_thread_with_likes_and_related_topics() -> None:
    doc = clean_text(DISCOURSE_FORUM)
    assert doc.title == "Volunteers clean up beaches after oil spill near the harbour"
    assert doc.author == "coastie"
    assert len(bodies(doc)) == 2 and bodies(doc)[0].startswith("Hundreds of volunteers")
    assert [(c.author, c.posted) for c in doc.comments] == [("seagull42", "Mar 10"), ("marinebio", "Mar 11")]
    assert_absent(doc, [
        "Log In", "Sign Up", "Local News", "oil-spill", "First post", "Last reply", "340 views", "Likes",
        "1 Like", "Related topics", "Tanker company fined", "New rules for ships",
    ])
    assert_comments_apart(doc)
    assert_well_formed(doc)


def test_german_page() -> None:
    doc = clean_text(GERMAN)
    assert doc.language == "de"
    assert doc.title == "Regierung beschließt neues Gesetz zum Schutz der Wälder"
    assert doc.author == "Max Mustermann"
    assert doc.date == date(2024, 3, 5)
    assert len(bodies(doc)) == 3 and bodies(doc)[0].startswith("Die Bundesregierung hat am Dienstag")
    assert_absent(doc, [
        "Zum Inhalt springen", "Menü", "Suche", "Anmelden", "Startseite", "Von Max", "14:30", "Artikel teilen",
        "E-Mail", "Mehr zum Thema", "Waldbrände im Sommer", "Borkenkäfer", "Newsletter abonnieren", "Impressum",
        "Alle Rechte vorbehalten",
    ])
    assert_well_formed(doc)


def test_french_page() -> None:
    doc = clean_text(FRENCH)
    assert doc.language == "fr"
    assert doc.title == "La France et l'Espagne inaugurent une nouvelle liaison ferroviaire"
    assert doc.author == "Claire Martin"
    assert doc.date == date(2024, 4, 12)
    assert len(bodies(doc)) == 3 and bodies(doc)[-1].startswith("Les élus des deux côtés")
    assert_absent(doc, [
        "Aller au contenu", "Se connecter", "S'abonner", "Accueil ›", "Publié le", "Partager",
        "Envoyer par e-mail", "À lire aussi", "Grève à la SNCF", "Mentions légales", "Tous droits réservés",
    ])
    assert_well_formed(doc)


def test_article_with_bullet_list_and_table() -> None:
    doc = clean_text(LIST_TABLE)
    assert doc.title == "What the new vaccination schedule changes for families"
    assert doc.paragraphs[1].kind == "heading"
    assert doc.text[doc.paragraphs[1].start : doc.paragraphs[1].end].startswith("Changes to the measles")
    assert doc.author == "Jane Doe"
    body = bodies(doc)
    assert "The main changes are the following:" in body
    for item in (
        "The first measles dose moves from 12 months to 11 months of age.",
        "A booster against whooping cough is now recommended for all teenagers.",
        "Adults over 60 are offered a free pneumococcal vaccine.",
    ):
        assert item in body
    assert not any(b.startswith("•") for b in body)
    tables = [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "table"]
    assert len(tables) == 1
    assert tables[0].split("\n") == [
        "| Vaccine | Old age | New age |",
        "| Measles (first dose) | 12 months | 11 months |",
        "| Whooping cough booster | none | 14 years |",
        "| Pneumococcal | 65 years | 60 years |",
    ]
    assert body[-1].startswith("The ministry said the new schedule")
    assert_absent(doc, [
        "Skip to main content", "Health Correspondent", "Share on", "Most read", "Hospital waiting times", "New clinic",
    ])
    assert_well_formed(doc)


def test_tab_separated_table_rows_are_a_table() -> None:
    page = (
        "Turnout rose in every district\n\n"
        "Turnout rose in every district of the city in Sunday's election, according to the official "
        "results published by the electoral commission on Monday morning.\n"
        "District\t2019\t2024\n"
        "North\t61%\t66%\n"
        "South\t58%\t63%\n"
        "The commission said the higher turnout was partly due to the new postal voting rules.\n"
    )
    doc = clean_text(page)
    tables = [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "table"]
    assert tables == ["| District | 2019 | 2024 |\n| North | 61% | 66% |\n| South | 58% | 63% |"]
    assert_well_formed(doc)


def test_author_box_newsletter_cookie_and_dated_teasers_removed() -> None:
    doc = clean_text(TEASERS_BIO_COOKIE)
    assert doc.title == "Parliament extends fishing ban in the northern bay for two more years"
    assert doc.author == "Sam Rivera"
    assert doc.date == date(2024, 5, 14)
    assert [b.split()[:2] for b in bodies(doc)] == [["Parliament", "voted"], ["The", "ban"], ["The", "environment"]]
    assert_absent(doc, [
        "Northern Ledger", "Politics | Economy", "By Sam Rivera", "Sign up for our newsletter",
        "covers the environment and fisheries", "marine biologist", "We use cookies", "Accept all", "Reject all",
        "More from Politics", "Coalition partners clash", "Lena Fischer", "The two parties disagree",
        "Harbour operators say",
    ])
    assert doc.comments == []
    assert_well_formed(doc)


def test_live_blog_timestamps_are_not_posts() -> None:
    doc = clean_text(LIVE_BLOG)
    assert doc.comments == []
    assert len(bodies(doc)) == 3
    assert doc.date == date(2024, 3, 16)


def test_plain_comment_section_without_authors() -> None:
    doc = clean_text(SIMPLE_COMMENTS)
    assert len(bodies(doc)) == 2
    assert [c.text.split()[:3] for c in doc.comments] == [["It", "is", "good"], ["I", "wonder", "how"]]
    assert all(c.author is None for c in doc.comments)
    assert "Comments (2)" not in doc.text
    assert_comments_apart(doc)


def test_comments_longer_than_the_article_stay_comments() -> None:
    doc = clean_text(LONG_COMMENTS)
    assert doc.title == "Town to close library branch"
    assert [b.split()[:3] for b in bodies(doc)] == [["The", "town", "council"], ["The", "books", "will"]]
    assert [c.text.split()[:3] for c in doc.comments] == [["This", "is", "a"], ["I", "have", "used"]]
    assert_absent(doc, ["Share this article", "4 Comments"])
    assert_comments_apart(doc)


def test_author_box_right_after_the_article_removed() -> None:
    doc = clean_text(BIO_NO_SHARE)
    assert (doc.author, doc.date) == ("Priya Natarajan", date(2024, 3, 9))
    assert len(bodies(doc)) == 2
    assert "transport reporter" not in doc.text
    assert "By Priya" not in doc.text


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (INDEX_PAGE, "no line of running prose"),
        (TEASER_INDEX, "headlines with teasers"),
        (SHORT_PAGE, "no line of running prose"),
        (EMPTY, "no line of running prose"),
        ("\n \n\t\n", "no line of running prose"),
        ("Russia and Iran sign a treaty", "no line of running prose"),
    ],
)
def test_pages_without_an_article_are_refused(page: str, reason: str) -> None:
    with pytest.raises(CleanError, match=reason):
        clean_text(page)


def test_text_dump_extractor_reports_removed_lines() -> None:
    extracted = extract_text_dump(COOKIE_NAV_RELATED)
    kept = sum(len(text.split("\n")) for _, text in extracted.blocks)
    nonblank = sum(1 for line in COOKIE_NAV_RELATED.split("\n") if line.strip())
    assert extracted.removed_lines == nonblank - kept


def test_container_date_used_when_page_has_none() -> None:
    page = RawPage(source="x.txt", content=SIMPLE_COMMENTS, kind="text", date=date(2024, 2, 1))
    doc = clean_page(page)
    assert (doc.date, doc.date_origin) == (date(2024, 2, 1), "container")


def test_join_blocks_skips_empty_and_strips() -> None:
    text, paragraphs = join_blocks([("title", " T "), ("body", ""), ("body", "a b\n"), ("table", "| x |")])
    assert text == "T\n\na b\n\n| x |"
    assert [(p.start, p.end, p.kind) for p in paragraphs] == [(0, 1, "title"), (3, 6, "body"), (8, 13, "table")]


# ---------------------------------------------------------------- HTML

NEWS_HTML = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Tram line approved after decade of debate | Harbourview Gazette</title>
<meta property="og:title" content="City council approves new tram line to the eastern suburbs">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta name="author" content="Jane Doe">
<script>window.trackingId = "SCRIPT-SECRET-TOKEN"; function boot(){ document.title = "x"; }</script>
<style>.nav { color: red; } body::after { content: "STYLE-SECRET"; }</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/login">Sign in</a></li></ul></nav></header>
<main><article>
<h1>City council approves new tram line to the eastern suburbs</h1>
<p class="byline">By Jane Doe</p>
<p>The city council voted on Tuesday to approve a new tram line linking the central station with the eastern
suburbs, ending a debate that has lasted for more than a decade.</p>
<p>The line will run for 14 kilometres and serve eleven stops, according to the plans published by the
transport department. Construction is expected to begin next spring.</p>
<h2>Opposition to the cost</h2>
<p>Council members who opposed the project said the cost, estimated at 620 million euros, was too high for a
city that is still repaying debts from the last stadium renovation.</p>
<script>console.log("INLINE-SCRIPT-IN-ARTICLE")</script>
</article>
<section id="comments" class="comments">
<h3>2 Comments</h3>
<div class="comment"><p class="comment-author">Maria Lopez</p>
<p>Finally some good news for people in the eastern suburbs who spend an hour on the bus every morning.</p></div>
<div class="comment"><p class="comment-author">Peter Hansen</p>
<p>Six hundred million is a lot of money for eleven stops, I hope they keep to the budget this time.</p></div>
</section></main>
<footer><p>Contact us | Privacy policy | Terms of use</p><p>© 2024 Harbourview Gazette. All rights reserved.</p>
</footer>
</body></html>
"""

BROKEN_HTML = """<html><head><title>Ferry services resume after the storm</title>
<body><div class="content"><h1>Ferry services resume after the storm
<p>Ferry services between the mainland and the islands resumed on Thursday morning after two days of
cancellations caused by the storm, the operator said.
<p>Passengers were advised to check the timetable before travelling because some crossings would still be
delayed by the repairs at the northern pier.
<div><span><b><i>
"""

INDEX_HTML = """<html><head><title>Harbourview Gazette - News</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><h2>Top stories</h2><ul>
<li><a href="/a">City council approves new tram line</a></li>
<li><a href="/b">Bus drivers announce strike for next week</a></li>
<li><a href="/c">New cycling lanes open along the river</a></li>
</ul></main><footer>© 2024 Harbourview Gazette</footer></body></html>
"""


def test_html_news_page() -> None:
    doc = clean_html(NEWS_HTML)
    assert doc.title == "City council approves new tram line to the eastern suburbs"
    assert (doc.date, doc.date_origin) == (date(2024, 3, 5), "meta")
    assert doc.author == "Jane Doe"
    assert doc.language == "en"
    body = bodies(doc)
    assert [b.split()[:3] for b in body] == [
        ["The", "city", "council"], ["The", "line", "will"], ["Council", "members", "who"],
    ]
    assert "Opposition to the cost" in doc.text
    for secret in ("SCRIPT-SECRET-TOKEN", "STYLE-SECRET", "INLINE-SCRIPT", "trackingId", "color: red", "function"):
        assert secret not in doc.text
        assert all(secret not in c.text for c in doc.comments)
    assert [(c.author, c.text.split()[0]) for c in doc.comments] == [
        ("Maria Lopez", "Finally"),
        ("Peter Hansen", "Six"),
    ]
    assert_absent(doc, ["Home", "Sign in", "2 Comments", "Contact us", "Privacy policy", "All rights reserved"])
    assert_comments_apart(doc)
    assert_well_formed(doc)


def test_broken_html_still_cleans() -> None:
    doc = clean_html(BROKEN_HTML)
    assert doc.title == "Ferry services resume after the storm"
    assert any(b.startswith("Ferry services between the mainland") for b in bodies(doc))
    assert any(b.startswith("Passengers were advised") for b in bodies(doc))
    assert "<" not in doc.text and ">" not in doc.text
    assert_well_formed(doc)


@pytest.mark.parametrize("html", [INDEX_HTML, "", "<<<>>>", "<html><body><p>Hi</p></body></html>"])
def test_html_without_article_is_refused(html: str) -> None:
    with pytest.raises(CleanError):
        extract_html(html)


# ---------------------------------------------------------------- properties

# Lines of all the kinds the cleaner has to sort: prose, headings, datelines, furniture, posts, tables.
_POOL = sorted({
    line.strip()
    for page in (COOKIE_NAV_RELATED, WORDPRESS_COMMENTS, PHPBB_FORUM, DISCOURSE_FORUM, GERMAN, LIST_TABLE)
    for line in page.split("\n")
    if line.strip()
} | {"Posted", "Comments", "3 Comments", "Like 1", "| a | b |", "bob said:", "bob wrote: ↑Mar 4, 2024 9:00 am"})

_LINES = st.one_of(
    st.sampled_from(_POOL),
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from("ab cd.,:|»\t•-0123456789"), max_size=40),
)
_PAGES = st.lists(_LINES, max_size=40).map("\n".join)

_PROSE = [
    line.strip()
    for page in (COOKIE_NAV_RELATED, WORDPRESS_COMMENTS, PHPBB_FORUM, FRENCH, TEASERS_BIO_COOKIE)
    for line in page.split("\n")
    if len(line) > 80
]
# Pieces of threads and comment sections, so that posts, quotes of earlier posts and comment
# markers meet article prose in every order.
_PIECES = st.one_of(
    st.sampled_from(_PROSE),
    st.sampled_from(["Posted", "3 Comments", "Comments (2)", "Reply", "Top", "Like 1", "Leave a Reply", "Mar 10"]),
    st.sampled_from(["Maria Lopez", "coastie", "Anna K. says:", "By Jane Doe | March 3, 2024"]),
    st.sampled_from(["October 12, 2023 at 6:41 pm", "Post by bob » Mon Mar 04, 2024 9:12 am"]),
    st.sampled_from(_PROSE).map(lambda p: "bob said:\n" + p),
    st.sampled_from(_PROSE).map(lambda p: "bob wrote: ↑Mon Mar 04, 2024 10:40 am\n" + p),
)
_THREADS = st.lists(_PIECES, min_size=1, max_size=30).map("\n\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PAGES)
def test_text_dump_cleaning_is_total(content: str) -> None:
    try:
        doc = clean_text(content)
    except CleanError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert_well_formed(doc)
    assert_comments_apart(doc)
    assert doc.paragraphs and any(p.kind != "title" for p in doc.paragraphs)
    for rep in doc.repeated:
        assert doc.text[rep.first_start :].startswith(doc.text[rep.first_start : rep.first_start + 1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_THREADS)
def test_threads_keep_comments_apart(content: str) -> None:
    try:
        doc = clean_text(content)
    except CleanError:
        return
    assert_well_formed(doc)
    assert_comments_apart(doc)
    for i, comment in enumerate(doc.comments):
        for line in comment.text.split("\n"):
            assert not any(line in other.text for other in doc.comments[:i]), line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_POOL), st.text(max_size=60)), max_size=20))
def test_html_cleaning_is_total(parts: list[str]) -> None:
    html = "<html><body>" + "".join(f"<p>{p}</p>" if i % 3 else f"<div>{p}" for i, p in enumerate(parts))
    try:
        doc = clean_html(html)
    except CleanError:
        return
    assert_well_formed(doc)
    assert_comments_apart(doc)


def test_property_pool_is_not_trivial() -> None:
    assert len(_POOL) > 100
    assert re.search(r"\t", "\n".join(_POOL))


# ---------------------------------------------------------------- HTML: our DOM extractor

WORDPRESS_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Library branch to close at the end of the year - Harbourview Gazette</title>
<meta property="og:title" content="Library branch to close at the end of the year">
<meta property="article:published_time" content="2024-05-02T08:00:00Z">
<style>.share{display:flex}</style></head>
<body class="single single-post has-sidebar">
<div id="page" class="site"><header class="site-header"><nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-12" class="post-12 post type-post hentry">
<header class="entry-header"><h1 class="entry-title">Library branch to close at the end of the year</h1>
<div class="entry-meta"><span class="byline">By <a href="/author/jane">Jane Doe</a></span> <time datetime="2024-05-02">May 2, 2024</time></div></header>
<div class="entry-content">
<p>The town council decided on Monday to close the library branch in the old market hall at the end of the year, a move it says will save about 200,000 euros a year.</p>
<figure class="wp-block-image"><img src="/hall.jpg" alt=""><figcaption>The old market hall, home of the branch since 1978.</figcaption></figure>
<p>The books will be moved to the main library, which will extend its opening hours on Saturdays and add a second reading room for older visitors.</p>
<div class="ad-container"><span>Advertisement</span></div>
<p>Residents collected more than 3,000 signatures against the closure, but the council said the building needs repairs that the town cannot afford this year.</p>
<h2>What happens to the staff</h2>
<p>The four librarians who work at the branch will move to the main library, the council said, and nobody will lose their job because of the closure.</p>
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">Twitter</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p><a href="/a">Council approves new budget for the coming year</a></p></div>
</div></article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on "Library branch to close"</h2>
<ol class="comment-list">
<li id="comment-1" class="comment even"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Maria Lopez</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="#c1"><time>May 2, 2024 at 9:14 am</time></a></div></footer>
<div class="comment-content"><p>This is a terrible decision. The branch is the only place where many older people in the neighbourhood can read newspapers and meet each other.</p></div>
<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article></li>
<li id="comment-2" class="comment odd"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Peter Hansen</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="#c2"><time>May 3, 2024 at 7:02 pm</time></a></div></footer>
<div class="comment-content"><p>I have used the branch for twenty years and I will miss it, but the main library is much better equipped than the hall ever was.</p></div></article></li>
</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3><form><p class="comment-notes">Your email address will not be published. Required fields are marked *</p><textarea></textarea></form></div>
</div></main>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2><ul><li><a href="/b">Bus drivers announce strike</a></li></ul></section></aside>
</div><footer class="site-footer"><p>© 2024 Harbourview Gazette. All rights reserved.</p></footer></div>
<script>var x = "SECRET";</script>
</body></html>
"""

LIBRARY_PARAGRAPHS = [
    "The town council decided on Monday",
    "The books will be moved",
    "Residents collected more than",
    "The four librarians who work",
]


def test_html_wordpress_article_comments_and_furniture() -> None:
    doc = clean_html(WORDPRESS_HTML)
    assert doc.title == "Library branch to close at the end of the year"
    assert (doc.date, doc.date_origin) == (date(2024, 5, 2), "meta")
    assert [b[: len(start)] for b, start in zip(bodies(doc), LIBRARY_PARAGRAPHS, strict=True)] == LIBRARY_PARAGRAPHS
    assert [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "heading"] == ["What happens to the staff"]
    assert [(c.author, c.posted, c.text.split()[:3]) for c in doc.comments] == [
        ("Maria Lopez", "May 2, 2024 at 9:14 am", ["This", "is", "a"]),
        ("Peter Hansen", "May 3, 2024 at 7:02 pm", ["I", "have", "used"]),
    ]
    assert_absent(doc, [
        "Home", "By Jane Doe", "The old market hall, home", "Advertisement", "Share this", "Facebook", "Related",
        "Council approves new budget", "2 thoughts", "Reply", "Leave a Reply", "Your email address",
        "Recent Posts", "Bus drivers", "All rights reserved", "SECRET",
    ])
    assert_comments_apart(doc)
    assert_well_formed(doc)


def _page(body: str, title: str = "Ferry services resume after the storm") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


FERRY = [
    "Ferry services between the mainland and the islands resumed on Thursday morning after two days of "
    "cancellations caused by the storm, the operator said.",
    "Passengers were advised to check the timetable before travelling, because some crossings would still be "
    "delayed by repairs at the northern pier.",
    "The storm brought winds of up to 140 kilometres an hour to the coast and cut power to about 20,000 homes, "
    "most of which were reconnected by Wednesday night.",
    "The operator said it would refund tickets for all cancelled crossings and offer free rebooking until the "
    "end of the month, at any of its ticket offices or online.",
]


def test_html_article_split_around_ads_is_kept_whole() -> None:
    body = (
        '<div class="story"><h1>Ferry services resume after the storm</h1>'
        f'<div class="story-text"><p>{FERRY[0]}</p><p>{FERRY[1]}</p></div>'
        '<div class="ad-slot"><p>Advertisement</p><a href="/x">Buy a boat today</a></div>'
        f'<div class="story-text"><p>{FERRY[2]}</p></div>'
        '<div class="inline-related"><h3>Read more</h3><ul><li><a href="/a">Storm warning for the weekend as '
        'winds pick up again</a></li><li><a href="/b">Harbour repairs to cost millions</a></li></ul></div>'
        f'<div class="story-text"><p>{FERRY[3]}</p></div></div>'
        '<div class="sidebar"><h3>Most read</h3><ol><li><a href="/c">Mayor resigns</a></li></ol></div>'
    )
    assert main_text(_page(body)).split("\n") == FERRY


def test_html_comment_thread_longer_than_the_article_stays_apart() -> None:
    comments = "".join(
        f'<li class="comment"><div class="comment-author">Reader {name}</div><p>{FERRY[i % 4]} I was on one of '
        "the cancelled crossings myself and the staff handled it well, in my opinion.</p></li>"
        for i, name in enumerate(["Anna", "Bert", "Carla", "Dirk", "Emma", "Femke"])
    )
    body = f'<article><p>{FERRY[0]}</p><p>{FERRY[1]}</p></article><section id="comments"><ol>{comments}</ol></section>'
    main = extract_main(_page(body))
    assert main is not None
    assert [b.text for b in main.blocks] == FERRY[:2]
    assert len(main.comments) == 6


def test_html_hidden_text_scripts_and_styles_never_leak() -> None:
    body = (
        f"<article><p>{FERRY[0]}<script>var leak = 'SCRIPT-LEAK';</script></p>"
        "<style>p { color: red } /* STYLE-LEAK */</style><noscript>NOSCRIPT-LEAK enable JavaScript</noscript>"
        f'<p style="display:none">HIDDEN-LEAK {FERRY[2]}</p><p hidden>HIDDEN-ATTR-LEAK {FERRY[3]}</p>'
        f'<div aria-hidden="true">ARIA-LEAK {FERRY[3]}</div><template><p>TEMPLATE-LEAK {FERRY[2]}</p></template>'
        f"<p>{FERRY[1]}</p></article>"
    )
    text = main_text(_page(body))
    assert text.split("\n") == FERRY[:2]
    assert "LEAK" not in visible_text(_page(body))


def test_html_index_of_teaser_cards_is_refused() -> None:
    cards = "".join(
        f'<div class="card"><h2><a href="/{i}">Council approves tram line number {i} after a long debate</a></h2>'
        f"<p>{FERRY[i % 4]}</p></div>"
        for i in range(8)
    )
    html = _page(f"<main><h1>Latest news</h1>{cards}</main>", "Latest news")
    assert extract_main(html) is None
    with pytest.raises(CleanError):
        extract_html(html)


def test_html_deep_nesting_and_huge_pages_are_bounded() -> None:
    paragraph = f"<p>{FERRY[0]}</p>"
    deep = "<html><body>" + "<div>" * 50_000 + paragraph * 5 + "</div>" * 50_000 + "</body></html>"
    start = time.perf_counter()
    extract_main(deep)  # libxml2 caps the depth: whatever survives, it must come back fast
    assert time.perf_counter() - start < 2.0
    huge = _page('<div class="story">' + (paragraph + '<ul><li><a href="/">link</a></li></ul>') * 40_000 + "</div>")
    assert len(huge) > 5_000_000
    start = time.perf_counter()
    main = extract_main(huge)
    assert time.perf_counter() - start < 15.0
    assert main is not None and main.blocks


def test_html_non_english_page() -> None:
    paragraphs = [
        "市議会は月曜日、東部郊外と中央駅を結ぶ新しい路面電車の建設を承認した。十年以上続いた議論に決着がついた。",
        "路線の全長は十四キロで、十一の停留所が設けられる予定だ。工事は来年の春に始まる見込みだと交通局は説明した。",
        "反対派の議員は、六億二千万ユーロと見積もられる費用が市の財政には大きすぎると指摘した。",
    ]
    body = "<nav><a href='/'>ホーム</a> <a href='/news'>ニュース</a></nav><article>" + "".join(
        f"<p>{p}</p>" for p in paragraphs
    ) + "</article><footer>著作権 2024</footer>"
    assert main_text(_page(body, "路面電車")).split("\n") == paragraphs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["p", "div", "li", "span", "a", "h2", "table", "td", "article", "aside"]),
                          st.sampled_from(["", ' class="comment"', ' class="sidebar"', ' class="entry-content"',
                                           ' hidden', ' class="caption"']),
                          st.one_of(st.sampled_from(FERRY + _POOL), st.text(max_size=40))),
                max_size=25))
def test_dom_extraction_is_total(parts: list[tuple[str, str, str]]) -> None:
    html = "<html><body>" + "".join(f"<{tag}{attrs}>{text}" for tag, attrs, text in parts)
    main = extract_main(html)
    if main is not None:
        assert all(b.text and b.text == b.text.strip() for b in main.blocks)
        assert not any("hidden" in attrs and text.strip() and text.strip() in main_text(html)
                       for _, attrs, text in parts if len(text.strip()) > 30 and text not in FERRY + _POOL)


# ---------------------------------------------------------------- visible text and the text path on it


def test_visible_text_lays_out_a_page_like_a_browser_copy() -> None:
    html = _page(
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        "<h1>Ferry services resume</h1><p>First <b>paragraph</b><br>second line.</p>"
        "<table><tr><th>Route</th><th>Status</th></tr><tr><td>North</td><td>Delayed</td></tr></table>"
        "<script>SCRIPT</script><div style='visibility: hidden'>HIDDEN</div><footer>© 2024 Gazette</footer>"
    )
    assert visible_text(html) == (
        "Home\nNews\n\nFerry services resume\n\nFirst paragraph\nsecond line.\n\n"
        "Route\tStatus\nNorth\tDelayed\n\n© 2024 Gazette\n"
    )
    assert visible_text("") == ""


def test_text_path_on_the_visible_text_of_an_html_page() -> None:
    doc = clean_text(visible_text(WORDPRESS_HTML))
    assert doc.title == "Library branch to close at the end of the year"
    # Known limit of text alone: a caption written as a sentence reads like a short paragraph.
    texts = [b for b in bodies(doc) if not b.startswith("The old market hall")]
    assert [b[: len(start)] for b, start in zip(texts, LIBRARY_PARAGRAPHS, strict=True)] == LIBRARY_PARAGRAPHS
    assert_absent(doc, ["Home", "Advertisement", "Share this:", "Recent Posts", "All rights reserved"])
    assert [(c.author, c.text.split()[:3]) for c in doc.comments] == [
        ("Maria Lopez", ["This", "is", "a"]),
        ("Peter Hansen", ["I", "have", "used"]),
    ]
    assert_comments_apart(doc)


ADS_AND_CAPTIONS = f"""\
Menu
Search
12 Comments

Ferry services resume after the storm

{FERRY[0]}

Advertisement

{FERRY[1]}

Image caption
The northern pier, where repairs continue. The pier was built in 1902 and last renovated in 1987.
The northern pier, where repairs continue. The pier was built in 1902 and last renovated in 1987.

{FERRY[2]}

Advertisement

{FERRY[3]}

Advertisement

Related stories
Storm warning for the weekend as winds pick up again
Harbour repairs to cost millions, council says
Mayor visits the islands after the storm

About us
Contact
"""


def test_text_path_keeps_an_article_that_ads_captions_and_a_comment_count_interrupt() -> None:
    doc = clean_text(ADS_AND_CAPTIONS)
    assert doc.title == "Ferry services resume after the storm"
    assert bodies(doc) == FERRY
    assert not doc.comments
    assert_absent(doc, ["Advertisement", "Image caption", "The northern pier", "Related stories", "Storm warning",
                        "12 Comments", "About us"])


def test_lines_without_stopword_lists_can_be_prose() -> None:
    assert detect_language("엘제이의 리벤지인가, 류화영의 코스프레인가. 시작은 엘제이의 일방적인 사진 공개로부터 비롯됐다.") is None
    korean = "그래서 처음 이러한 사진 공개에 대한 대중들의 반응은 엘제이의 행동에 대한 비난으로 이어졌다. 하지만 엘제이는 자신의 부적절한 행동들에 대해 무감한 태도를 보였다."
    japanese = "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。"
    assert classify(0, korean, None).kind is Kind.GOOD
    assert classify(0, japanese, None).kind is Kind.GOOD
    assert classify(0, "이용약관", None).kind is not Kind.GOOD
    assert classify(0, "Image caption", "en").kind is Kind.CAPTION
