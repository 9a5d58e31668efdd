"""Understanding the text: entities, time, quantities, claims (see `analyze.understand`)."""
