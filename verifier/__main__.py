"""``python -m verifier audit …`` checks exported audit records against signed checkpoints;
``python -m verifier archive …`` checks an archival package (GB/T 42727)."""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> module in this package with ``add_arguments(parser)`` and ``run(args) -> int``
COMMANDS = {
    "audit": "verifier.audit",
    "archive": "verifier.archive",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verifier", description="一网通办 独立验证工具")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        modules[name] = module
        module.add_arguments(sub.add_parser(name, help=module.__doc__.splitlines()[0]))
    args = parser.parse_args(argv)
    return modules[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
