"""The poster view (`movielike-train posters`): films whose posters look alike, as an optional part of a bundle.

images.py    which films have a poster: a local folder named by MovieLens id, or the catalogue's image URLs
download.py  the polite downloader: a cache (resume = skip what is cached), a rate limit, a User-Agent with a contact,
             timeouts, retries on 429/5xx honouring Retry-After
embed.py     a Keras application (VGG16, EfficientNetB0) turns each poster into one unit vector
genres.py    the figure: how often a film's 10 nearest posters share an infobox genre with it, vs links and random
publish.py   a new version: the current one's files (hard links) plus the poster files, activated atomically
view.py      the command's work, in that order
"""
