"""The views several pages and files share, each worked out once per build from the context. Pure.

League tables: the league pages and the release's archived copy (site/archive.py). Commissioner views: the
commissioner pages, the commissioners' index and the red-flags page. The choice model and the comparators:
the provider pages, the compare pages and their JSON files. The finder index: the finder page and its JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace as NS

from generator.views import changes, choice, commissioner, comparators, finder, league
from generator.views.context import Context


@dataclass(frozen=True, eq=False)
class Shared:
    league_tables: list[NS]
    commissioners: list[NS]
    choice: NS                 # choice.model: settings, measures and each provider's published figures
    comparators: dict          # (measure, peer) -> the figures to compare a result with
    finder_index: list[dict]   # one short record per provider
    changes: NS | None         # the live "What changed" page, if there is a baseline


def shared_views(ctx: Context, comp: dict | None = None) -> Shared:
    """comp: comparators.comparators(ctx), if worked out already."""
    return Shared(league_tables=league.league_tables(ctx), commissioners=commissioner.commissioner_views(ctx),
                  choice=choice.model(ctx), comparators=comparators.comparators(ctx) if comp is None else comp,
                  finder_index=finder.finder_index(ctx.providers), changes=changes.live_view(ctx))
