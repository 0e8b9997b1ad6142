"""Training inputs: films in the Cookbook format, MovieLens ratings (reading, the fixed split, simulated users),
how well known each film is, the films' link content as a SciPy matrix, and `fetch-data`'s verified downloads of the public sources."""
