"""The site's MkDocs configuration: the generator's own (generator/mkdocs.yml) with a publisher's
mkdocs.yml merged on top, as MkDocs' INHERIT does (mappings merged key by key, anything else replaced).

The publisher's file is --config FILE when given, else mkdocs.yml in the current folder, else none.
It need only hold what it changes (site_name, site_url, palette, ...). Its relative paths (theme
custom_dir, docs_dir) are read from its own folder; its docs/ pages replace the generator's.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from generator import paths
from generator.data.reserved import SHELL_TEXT


class ConfigError(Exception):
    """The publisher's configuration cannot be read; the message says why."""


@dataclass
class SiteConfig:
    settings: dict
    docs: list[Path] = field(default_factory=list)  # hand-written pages; a later folder's page replaces an earlier's
    source: Path | None = None  # the publisher's file, if any
    theirs: set = field(default_factory=set)  # the keys the publisher's file sets

    def use_words(self, description: str, levels: str) -> None:
        """The publisher's words (views/publisher.py) where the configuration keeps the generator's own: the
        site's description (every page's meta description) and the menu's name for the commissioning level."""
        if "site_description" not in self.theirs:
            self.settings["site_description"] = description
        if "nav" not in self.theirs:
            self.settings["nav"] = [{levels: v} if isinstance(item, dict) and (v := item.get("Commissioners")) is not None
                                    else item for item in self.settings.get("nav", [])]

    def own_page(self, rel: str) -> bool:
        """The publisher's own docs hold this page (it then replaces a generated one)."""
        return self.source is not None and len(self.docs) > 1 and (self.docs[-1] / rel).is_file()

    def site_url(self) -> str:
        return str(self.settings.get("site_url") or "")

    def site_name(self) -> str:
        return str(self.settings.get("site_name") or "")

    def write(self, folder: Path) -> Path:
        """The merged configuration as a file MkDocs reads (every path in it absolute)."""
        import yaml
        target = folder / "mkdocs.yml"
        target.write_text(yaml.dump(self.settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return target


def publisher_file(config: Path | None) -> Path | None:
    if config is not None:
        return Path(config)
    return paths.MKDOCS_YML if paths.MKDOCS_YML.is_file() else None


def _read(path: Path) -> dict:
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load
    try:
        with open(path, "rb") as fh:
            data = yaml_load(fh)  # MkDocs' own loader: !ENV tags and INHERIT work as in `mkdocs build`
    except (OSError, ConfigurationError) as e:
        raise ConfigError(f"cannot read the site configuration {path}: {e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"the site configuration {path} is not a set of `key: value` settings")
    return data


def load(config: Path | None = None) -> SiteConfig:
    import mergedeep

    settings = _read(paths.DEFAULT_CONFIG)
    settings["theme"]["custom_dir"] = str(paths.THEME_DIR)
    own = publisher_file(config)
    if own is None:
        return SiteConfig(settings, [paths.DEFAULT_DOCS])
    theirs = _read(own)
    theme = theirs.get("theme")
    if isinstance(theme, str):  # `theme: material` names the theme only
        theirs["theme"] = theme = {"name": theme}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((own.parent / str(theme["custom_dir"])).resolve())
    if SHELL_TEXT in json.dumps(theirs, ensure_ascii=False, default=str).upper():  # its words reach every page's menu
        raise ConfigError(f"the site configuration {own} holds {SHELL_TEXT}, text the site uses inside its pages; "
                          f"choose other words")
    docs = own.parent / str(theirs.pop("docs_dir", None) or "docs")
    mergedeep.merge(settings, theirs)
    return SiteConfig(settings, [paths.DEFAULT_DOCS, docs], own, set(theirs))
