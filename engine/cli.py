"""`movielike`: films like a film, films around a person or page, and picks for a taste, from the terminal.

Exit codes: 0 results, 1 no such film, page or genre (or no such view of it: a film without ratings or a poster), 2
usage (bad or empty input, a decade that is not one, an unknown page kind), 3 no usable model (or, for --by posters, a
model without the poster view; for pages-like --kind, a model without page kinds), 4 a bug.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from engine import (
    SIMILAR_VIEWS,
    VIEWS,
    BadInput,
    BundleError,
    Config,
    Engine,
    NoPageKinds,
    NoPosterView,
    NoRatingsView,
    NotFound,
    Suggestion,
)
from engine import film_label as _label
from engine.threads import limit_blas_threads
from engine.titles import MAX_QUERY_CHARS

EXIT_NOT_FOUND, EXIT_USAGE, EXIT_NO_MODEL, EXIT_INTERNAL = 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="movielike", description="Find films like the films you like.")
    parser.add_argument("--models", help="model directory (default: MOVIELIKE_MODELS or var/models)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=f"{help_text}. Example: {example}")
        sub.add_argument("-k", "--count", type=int, default=10, help="how many films (1-100, default 10)")
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    similar = add("similar", "films like a film", 'movielike similar "Blade Runner"')
    similar.add_argument("title", nargs="+", help="a film title; typos, a year or '(film)' are fine")
    similar.add_argument("--by", choices=SIMILAR_VIEWS, default="both",
                         help="links: films sharing Wikipedia links; ratings: films liked by the same people; "
                              "both: the tuned blend (default); posters: films whose posters look alike (models "
                              "published with `movielike-train posters`)")
    about = add("about", "films closest to a person, studio, genre or other linked page", 'movielike about "George Lucas"')
    about.add_argument("page", nargs="+", help="a linked page, e.g. a director or actor")
    recommend = add("recommend", "picks from films you liked and disliked",
                    'movielike recommend --like "Alien" --dislike "Mamma Mia! (film)"')
    recommend.add_argument("--like", action="append", default=[], metavar="TITLE", help="a film you liked (repeatable)")
    recommend.add_argument("--dislike", action="append", default=[], metavar="TITLE", help="a film you disliked (repeatable)")
    recommend.add_argument("--by", choices=VIEWS, default="both", help="links, ratings or both (default)")
    favourites = add("favourites", "films people rate above their usual (MovieLens), optionally one genre and decade",
                     "movielike favourites --genre horror --decade 1980s")
    favourites.add_argument("--genre", help="one genre, e.g. horror (case-insensitive)")
    favourites.add_argument("--decade", help="one decade: 1980s, 80s or 1980")
    pages = add("pages-like", "pages like a page: people, studios, genres... near it by their links",
                'movielike pages-like "George Lucas" --kind director')
    pages.add_argument("page", nargs="+", help="a linked page, e.g. a director, actor or studio")
    pages.add_argument("--kind", help="only pages of this kind: person, director, actor, writer, producer, composer, "
                                      "cinematographer, editor, company, genre, place, category or film")
    resolve = commands.add_parser("resolve", help="which film a title means", description="Show which film a title resolves to.")
    resolve.add_argument("title", nargs="+")
    resolve.add_argument("--json", action="store_true")
    commands.add_parser("info", help="the loaded model: version, size, training figures")
    return parser


def _print_results(heading: str, results: list[Suggestion]) -> None:
    print(heading)
    width = min(48, max((len(_label(r.title, r.year)) for r in results), default=10))
    for rank, result in enumerate(results, 1):
        label = _label(result.title, result.year)
        print(f"{rank:>3}. {label:<{width}}  {result.score:6.3f}  {result.why}")


def _join(words: Sequence[str]) -> str:
    text = " ".join(words)
    if len(text) > MAX_QUERY_CHARS * 4:  # keep messages short; the engine gives the precise reason
        text = text[: MAX_QUERY_CHARS * 4]
    return text


def _not_found(error: NotFound) -> int:
    print(f"movielike: no {error.kind} matches “{error.query[:80]}”.", file=sys.stderr)
    if error.candidates:
        print("Did you mean:", file=sys.stderr)
        for candidate in error.candidates[:5]:
            print(f"  {candidate if isinstance(candidate, str) else candidate.label}", file=sys.stderr)
    return EXIT_NOT_FOUND


def _pages_like(engine: Engine, query: str, k: int, kind: str | None, as_json: bool) -> int:
    page = engine.page(query)
    results = engine.pages_like(query, k, kind)
    if as_json:
        print(json.dumps({"query": query, "page": page.to_dict(), "kind": kind, "model": engine.version,
                          "results": [r.to_dict() for r in results]}, ensure_ascii=False))
        return 0
    print(f"Pages like {page.name}" + (f" ({page.kind})" if page.kind else "") + (f", only {kind}" if kind else ""))
    width = min(40, max((len(r.name) for r in results), default=10))
    for rank, result in enumerate(results, 1):
        print(f"{rank:>3}. {result.name:<{width}}  {result.kind or '':<15}  {result.score:6.3f}  {result.why}")
    return 0


def run(args: argparse.Namespace) -> int:
    config = Config.from_env()
    limit_blas_threads(config.blas_threads)
    engine = Engine.load(args.models, config)
    if args.command == "info":
        manifest = engine.manifest
        summary = {k: manifest.get(k) for k in ("version", "created_at", "dim", "counts", "training", "metrics", "blend")}
        ratings = manifest.get("ratings") or {}
        summary["ratings"] = {k: ratings.get(k) for k in ("model", "kept", "test_rmse", "films_with_ratings",
                                                          "films_estimated", "favourites")} if ratings else None
        summary["recommendation_quality"] = (manifest.get("evaluation") or {}).get("recommend")
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    if args.command == "resolve":
        film, match = engine.resolve_match(_join(args.title))
        if args.json:
            print(json.dumps({**film.__dict__, "matched": match.how}, ensure_ascii=False))
        else:
            print(f"{_label(film.title, film.year)}  [{match.how}]  {film.url}")
        return 0
    k = args.count
    if not 1 <= k <= 100:
        raise BadInput("--count must be between 1 and 100.")
    if args.command == "pages-like":
        return _pages_like(engine, _join(args.page), k, args.kind, args.json)
    if args.command == "similar":
        query = _join(args.title)
        film, match = engine.resolve_match(query)
        results = engine.similar(film.id, k, by=args.by)
        heading = f"Films like {_label(film.title, film.year)}" + (f", directed by {film.director}" if film.director else "")
        heading += {"links": " (by links)", "ratings": " (by ratings)", "posters": " (by posters)"}.get(args.by, "")
        if match.how == "typo":
            heading += f"  (you typed “{query[:80]}”)"
        payload = {"query": query, "film": film.__dict__, "matched": match.how, "by": args.by}
    elif args.command == "about":
        query = _join(args.page)
        page = engine.about_page(query)
        results = engine.about(query, k)
        heading = f"Films around {page}"
        payload = {"query": query, "page": page}
    elif args.command == "favourites":
        results = engine.favourites(k, genre=args.genre, decade=args.decade)
        genre = engine.favourites_genre(args.genre) if args.genre else None
        heading = ("Films people rate above their usual" if engine.has_favourites else
                   "Well-known films (this model has no MovieLens ratings to rank by)") + "".join(
            f" · {part}" for part in (genre, args.decade) if part)
        payload = {"genre": genre, "decade": args.decade}
    else:
        if not args.like and not args.dislike:
            heading = "Well-known films (rate some with --like/--dislike for personal picks)"
        else:
            heading = "Picks for you"
        # An unknown title is an error here, with suggestions; a typo resolves to the film it means.
        likes = [engine.resolve(title).id for title in args.like]
        dislikes = [engine.resolve(title).id for title in args.dislike]
        results = engine.recommend(likes, dislikes, k, by=args.by)
        payload = {"likes": args.like, "dislikes": args.dislike, "by": args.by}
    if args.json:
        print(json.dumps({**payload, "model": engine.version, "results": [r.to_dict() for r in results]}, ensure_ascii=False))
    else:
        _print_results(heading, results)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except NotFound as error:
        return _not_found(error)
    except NoRatingsView as error:
        print(f"movielike: {error}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except NoPosterView as error:
        print(f"movielike: {error}", file=sys.stderr)
        return EXIT_NO_MODEL if error.missing_part else EXIT_NOT_FOUND
    except NoPageKinds as error:
        print(f"movielike: {error}", file=sys.stderr)
        return EXIT_NO_MODEL
    except BadInput as error:
        print(f"movielike: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BundleError as error:
        print(f"movielike: {error}", file=sys.stderr)
        return EXIT_NO_MODEL
    except ValueError as error:  # configuration errors name the variable to fix
        print(f"movielike: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: say so plainly; MOVIELIKE_DEBUG=1 shows the traceback
        if os.environ.get("MOVIELIKE_DEBUG"):
            raise
        print(f"movielike: unexpected error ({type(error).__name__}: {error}). "
              "Run again with MOVIELIKE_DEBUG=1 for details, and please report it.", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
