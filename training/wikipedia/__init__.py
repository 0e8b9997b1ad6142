"""Extract films from an English Wikipedia pages-articles dump into the Cookbook format."""
