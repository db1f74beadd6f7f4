"""The publisher's words (data/publisher.py, standard 1.4) as the pages say them: what its kinds of provider,
its commissioning level, its sources and its place lookup are called. The one place that turns the context
into words; pages read it as ctx.words. With no publisher object every word is NHS England's, as before."""
from __future__ import annotations

from types import SimpleNamespace as NS

from generator.data.publisher import KIND_IDS, PLACES, SOURCE_IDS, Level, Publisher

# Today's NHS sentence parts for the home and about pages, per source (used when no publisher object is given)
NHS_SOURCE_PHRASES = {"fft": "the Friends and Family Test", "survey": "national patient surveys",
                      "complaints": "complaints", "staff": "staff views"}
PLACE_WORDS = dict(zip(PLACES, ("postcode", "ZIP code", "")))
AREA = Level("area", "areas", "in", "")  # the commissioners' rows named as plain areas, when the publisher has no level


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


class Words:
    """The publisher's words for one build. types: the provider types in the data; sources: the sources of
    measures with results; near: whether a place lookup can be offered (the data has places to find)."""

    def __init__(self, pub: Publisher, types, sources, near: bool, grouped: bool = False):
        self.publisher = pub
        self.types = [t for t in KIND_IDS if t in set(types)]  # the standard's ids only: pages may print them as they are
        self.source_ids = [s for s in SOURCE_IDS if s in set(sources)]
        self.kinds = [NS(id=t, one=self.one(t), many=self.many(t), title=self.title(t), titles=self.titles(t))
                      for t in self.types]
        self.level = pub.level  # None: no commissioning level (no comparator, filter or fact names it)
        self.area = pub.level or AREA  # what the commissioners' own pages call them
        self.country = pub.country
        self.place = PLACE_WORDS[pub.place]
        self.near = bool(near) and pub.place == "postcode"  # the finder's district lookup reads UK postcodes
        self.grouped = grouped  # some providers have a peer group (providers.peer_group): the others' pool says so

    def one(self, type_id: str) -> str:
        return self.publisher.kind(type_id)[0]

    def many(self, peer: str) -> str:
        """A provider type's plural, or a peer group's own name (providers.peer_group, standard 1.4: plural)."""
        return self.publisher.kind(peer)[1] if peer in KIND_IDS else peer

    @property
    def town(self) -> str:
        """What a provider's town is called: 'town' in NHS England's words, else 'city or town'."""
        return "city or town" if self.publisher.given else "town"

    @property
    def code_phrase(self) -> str:
        """A provider's code, as the finder asks for it."""
        return "a provider code" if self.publisher.given else "an organisation code"

    def pool(self, peer: str) -> str:
        """Who a provider is compared with, plural: its peer group's name, or its kind's plural; when the publisher
        puts some providers in peer groups, those it puts in none are 'hospitals not in a peer group'."""
        return f"{self.many(peer)} not in a peer group" if self.grouped and peer in KIND_IDS else self.many(peer)

    def pool_title(self, peer: str) -> str:
        return first_upper(self.pool(peer))

    def title(self, type_id: str) -> str:
        return first_upper(self.one(type_id))

    def titles(self, type_id: str) -> str:
        return first_upper(self.many(type_id))

    def source(self, source_id: str) -> str:
        return self.publisher.source(source_id)

    @property
    def kinds_phrase(self) -> str:
        """'NHS trusts, GP practices and independent providers': the kinds in the data."""
        return and_list([k.many for k in self.kinds]) or "providers"

    @property
    def description(self) -> str:
        """The site's description (every page's meta description)."""
        return f"How {self.kinds_phrase} compare on what patients say about their care."

    @property
    def sources_sentence(self) -> str:
        if not self.publisher.given:
            return "It brings together " + and_list([NHS_SOURCE_PHRASES[s] for s in self.source_ids]) + "."
        return "Its results come from: " + and_list([self.source(s) for s in self.source_ids]) + "."

    @property
    def one_kind(self) -> bool:
        """Only one kind of provider: no choice of kind is offered, and none is named in comparisons."""
        return len(self.types) <= 1

    @property
    def audience(self) -> str:
        """Who red flags and gaps are raised for: NHS commissioners, unless the publisher gives its own words."""
        return "" if self.publisher.given else "commissioners"

    # the commissioning level (with none, the commissioners' rows are areas)
    @property
    def level_title(self) -> str:
        return first_upper(self.area.one)

    @property
    def levels_title(self) -> str:
        return first_upper(self.area.many)

    def by(self, name: str) -> str:
        """'commissioned by NHS Example ICB', 'in Alabama' (plain text: pages escape it)."""
        return f"{self.area.by} {name}"


def minimums(ds) -> list[str]:
    """The publishers' minimum samples (measures.min_sample, standard 1.3), as the methods page and the
    compare key name them: ['100']."""
    m = ds["measures"]
    values = m["min_sample"].dropna() if "min_sample" in m else []
    return [f"{v:,}" for v in sorted({int(v) for v in values})]
