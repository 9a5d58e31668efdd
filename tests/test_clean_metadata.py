"""The HTML path takes title, dates, author and language from the page's own metadata."""

from __future__ import annotations

import datetime as dt

from newsdossier.clean import clean_page
from newsdossier.model import RawPage

PAGE = """<!doctype html><html lang="de"><head>
<title>Hafen streikt weiter | Beispiel Zeitung</title>
<meta property="og:site_name" content="Beispiel Zeitung">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Hafenarbeiter streiken die dritte Woche",
 "datePublished": "2024-03-08T09:30:00+01:00", "dateModified": "2024-03-09T10:00:00+01:00",
 "author": {"@type": "Person", "name": "Erika Musterfrau"}}</script>
</head><body><nav><a href="/">Startseite</a> <a href="/wirtschaft">Wirtschaft</a></nav>
<article><h1>Hafenarbeiter streiken die dritte Woche</h1>
<p>Die Hafenarbeiter in Rotterdam haben ihren Streik am Freitag um eine weitere Woche verlängert, wie die
Gewerkschaft mitteilte. Die Verhandlungen mit den Arbeitgebern über höhere Löhne waren zuvor gescheitert.</p>
<p>Nach Angaben der Hafenbehörde liegen inzwischen mehr als vierzig Containerschiffe vor der Küste und warten
auf ihre Abfertigung. Die Reedereien leiten einen Teil der Ladung nach Antwerpen und Hamburg um.</p>
<p>Die Gewerkschaft kündigte an, dass sie bei einem neuen Angebot der Arbeitgeber sofort an den Verhandlungstisch
zurückkehren werde. Ein Termin für neue Gespräche steht bislang nicht fest.</p>
</article><footer>© Beispiel Zeitung. Alle Rechte vorbehalten.</footer></body></html>"""


def test_structured_metadata_fills_the_document() -> None:
    doc = clean_page(RawPage(source="a.html", content=PAGE, kind="html", url="https://www.beispiel.de/hafen"))
    assert doc.title == "Hafenarbeiter streiken die dritte Woche"
    assert doc.text.startswith(doc.title)
    assert doc.date == dt.date(2024, 3, 8) and doc.date_origin == "meta"
    assert doc.updated == dt.date(2024, 3, 9)
    assert doc.author == "Erika Musterfrau"
    assert doc.language == "de"
    assert doc.site == "beispiel.de"
    assert "Startseite" not in doc.text and "Alle Rechte vorbehalten" not in doc.text
    assert "Containerschiffe" in doc.text
