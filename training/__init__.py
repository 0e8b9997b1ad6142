"""Offline side of movielike: read films, train the link model, evaluate it and publish model bundles."""
