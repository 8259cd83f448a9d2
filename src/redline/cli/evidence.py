"""`redline evidence export CASE --output PKG.zip` and `redline evidence verify PKG.zip`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.common import DEFAULT_DB, DbOption, settings_for


def register(app: typer.Typer) -> None:
    """Add the `evidence` group to the root app."""
    group = typer.Typer(help="Signed evidence packages of a case (证据包): export and verify.", no_args_is_help=True)
    app.add_typer(group, name="evidence")

    @group.command("export")
    def export(
        case_id: Annotated[int, typer.Argument(help="Case number")],
        output: Annotated[Path, typer.Option("--output", "-o", help="The package to write (.zip)")],
        redact_third_parties: Annotated[bool, typer.Option(
            "--redact-third-parties", help="Hide other people's names, IDs and mobiles in the originals")] = False,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Write the case report, evidence table, originals, custody and a signed manifest; audited."""
        from redline.cases.package import export_package
        from redline.cases.signing import load_or_create
        from redline.review.keys import console_key
        from redline.store.db import migrate

        settings = settings_for(db)
        engine = migrate(settings.db_url)
        key = load_or_create(settings.signing_key_file)
        done = export_package(engine, case_id, output, key, console_key(engine, "pseudonym"),
                              redact_third_parties=redact_third_parties)
        print(f"wrote {done.path} ({done.bytes:,} bytes): {done.files} files, {done.custody_entries} custody "
              f"entries{', third parties redacted' if done.redacted else ''}; manifest SHA-256 {done.manifest_sha256}")

    @group.command("verify")
    def verify(
        package: Annotated[Path, typer.Argument(help="The package (.zip)")],
        public_key: Annotated[str | None, typer.Option(
            "--public-key", help="The signer's Ed25519 public key in hex (pin who signed)")] = None,
    ) -> None:
        """Check the signature and every file's SHA-256; exit 2 naming the first file that does not match."""
        from redline.cases.verify import verify_package

        result = verify_package(package, public_key)
        if not result.ok:
            print(f"FAILED: {result.file}: {result.problem}")
            raise typer.Exit(2)
        print(f"OK: case {result.case}, {result.checked} files match the signed manifest"
              + (" (third parties redacted)" if result.redacted else ""))
