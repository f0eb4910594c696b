"""The documentation site (mkdocs.yml) documents every public name and leaves no page out.

`mkdocs build --strict` itself runs in `.ci/run`; these tests check what a build cannot: that
the API reference pages hold exactly ``custpool.__all__``, that each entry resolves to the
object it claims, and that the pages the site is built from are all reachable.
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest

import custpool

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
REFERENCE_PAGES = sorted(DOCS.glob("reference*.md"))

# `::: custpool.Name`, optionally followed by an indented `options:` block with `heading: ...`.
ENTRY = re.compile(r"^::: (?P<path>[\w.]+)\n(?P<options>(?:    .*\n)*)", re.MULTILINE)
HEADING = re.compile(r"^\s+heading: (?P<heading>\S+)$", re.MULTILINE)


def reference_entries() -> list[tuple[str, str]]:
    """Return (public name, documented path) for every mkdocstrings entry of the reference pages.

    The public name is the entry's `heading:` option when it has one (an entry that names the
    defining module because the public path is shadowed), else its path.
    """
    entries = []
    for page in REFERENCE_PAGES:
        for match in ENTRY.finditer(page.read_text(encoding="utf-8")):
            heading = HEADING.search(match["options"])
            public = heading["heading"] if heading else match["path"]
            entries.append((public, match["path"]))
    return entries


def resolve(path: str) -> object:
    """Import the object at a dotted path: the longest importable module, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise AssertionError(path)  # pragma: no cover - "custpool" itself always imports


def test_reference_pages_exist() -> None:
    assert DOCS / "reference.md" in REFERENCE_PAGES
    assert len(REFERENCE_PAGES) > 1


def test_reference_lists_exactly_the_public_names_once() -> None:
    public = [name for name, _ in reference_entries()]
    submodules = [
        "custpool.clv",
        "custpool.dask",
        "custpool.plot",
        "custpool.strategies",
        "custpool.synth",
        "custpool.wecom",
    ]
    assert [name for name in public if name in submodules] == submodules
    documented = [name for name in public if name not in submodules]
    expected = [f"custpool.{name}" for name in custpool.__all__ if name != "__version__"]
    assert sorted(documented) == sorted(expected)  # every name, nothing extra, none twice


def test_every_entry_documents_the_object_its_heading_names() -> None:
    # An entry whose path is not its public name (a shadowed function) must show that very
    # object: `custpool._tiers.classify.classify is custpool.classify`.
    for public, path in reference_entries():
        assert resolve(path) is resolve(public), (public, path)


def test_docs_tool_sees_each_public_name_as_what_it_is() -> None:
    # griffe reads the source; where a private submodule shares a public function's name,
    # it sees the submodule at `custpool.<name>`, and `::: custpool.<name>` would render the
    # module's docstring. Such names must use a `heading:` entry (see docs/reference.md).
    griffe = pytest.importorskip("griffe")
    package = griffe.load("custpool", search_paths=[str(ROOT / "src")])
    via_heading = {public for public, path in reference_entries() if public != path}
    for name in sorted(set(custpool.__all__) - {"__version__"}):
        member = package[name]
        target = member.final_target if member.is_alias else member
        if f"custpool.{name}" in via_heading:
            assert target.is_module, f"{name}: no longer shadowed; use `::: custpool.{name}`"
        else:
            assert not target.is_module, f"{name}: griffe sees a module; document it by heading"
            assert not inspect.ismodule(getattr(custpool, name))


def site_nav() -> list[str]:
    """Return the pages of mkdocs.yml's nav in order: entries `- page.md`, `- Title: page.md`."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text[text.index("\nnav:\n") :]
    return re.findall(r"^\s+- (?:[^:\n]+: )?([\w./-]+\.md)$", nav, re.MULTILINE)


def test_every_docs_page_is_in_the_nav_once() -> None:
    nav = site_nav()
    assert len(nav) == len(set(nav))
    assert sorted(nav) == sorted(page.name for page in DOCS.glob("*.md"))


def test_changelog_page_includes_the_changelog_instead_of_copying_it() -> None:
    page = (DOCS / "changelog.md").read_text(encoding="utf-8")
    assert page.strip() == '--8<-- "CHANGELOG.md"'
    assert (ROOT / "CHANGELOG.md").is_file()


def first_bash_block(text: str) -> str:
    match = re.search(r"^```bash\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    assert match is not None
    return match[1]


def test_getting_started_shows_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    assert first_bash_block(page) == first_bash_block(readme)
