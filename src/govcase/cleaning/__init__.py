"""The parts of the clean stage, one concern per module (all pure).

``govcase.clean.clean`` composes them: decode -> script (pinyin glosses,
mojibake, traditional -> simplified, full-width letters) -> html or text
lines -> boilerplate zones -> metadata.

- ``resources``   the data files under data/clean/, loaded once
- ``hanzi``       character frequencies: how Chinese a string reads
- ``script``      glosses, width, traditional/simplified
- ``mojibake``    GBK byte-shift repair
- ``lines``       one line of a page: what it looks like (body, menu, footer ...)
- ``boilerplate`` zones of a text page: header, body, footer; duplicates
- ``metadata``    title, dates, bylines
- ``html``        article container and metadata of an HTML page
"""
