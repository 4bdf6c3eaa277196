"""``som-mc knowledge``: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import sys

from som_mc.cli.common import EXIT_USER_ERROR

__all__ = ["run_knowledge"]


def run_knowledge(args: argparse.Namespace) -> int:
    """``som-mc knowledge``: list, show, search and validate the knowledge base."""
    from som_mc.inputs.knowledge import browse, load_knowledge
    from som_mc.present.console import print_detail, print_rows

    if args.kb_command == "validate":
        from som_mc.inputs.case.check import validate_knowledge

        problems = validate_knowledge(args.path, args.presets)
        for problem in problems:
            print(f"som-mc: {problem}", file=sys.stderr)
        if problems:
            print(f"som-mc: {len(problems)} problem(s) in the knowledge base", file=sys.stderr)
            return EXIT_USER_ERROR
        kb = load_knowledge(args.path, args.presets)
        n_prices = sum(len(p) for p in kb.prices.values())
        print(
            f"knowledge base OK: {len(kb.figures)} sourced figures, {len(kb.consequences)} "
            f"consequences, {n_prices} prices, {len(kb.rules)} rules, {len(kb.indices)} price "
            f"indices, {len(kb.target_groups)} target groups, {len(kb.effects)} effect studies, "
            f"{len(kb.presets)} presets; every example case loads"
        )
        return 0
    kb = load_knowledge()
    if args.kb_command == "list":
        print_rows(*browse.rows(kb, args.kind), title=f"Knowledge base: {args.kind}")
    elif args.kb_command == "show":
        print_detail(args.key, browse.detail(kb, args.key))
    else:
        found = browse.search(kb, args.word)
        if not found:
            print(f"nothing in the knowledge base mentions '{args.word}'")
            return 1
        print_rows(["kind", "key", "about"], found, title=f"Entries mentioning '{args.word}'")
    return 0
