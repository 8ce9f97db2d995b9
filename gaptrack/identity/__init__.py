"""Who a participant is: one resolver for every path that stores participants.

* :mod:`gaptrack.identity.names` reads address fields (RFC 5322, "Last, First", Exchange
  X.500 DNs, Lotus Notes names) and folds names (case, white space, diacritics, titles);
* :mod:`gaptrack.identity.resolve` links participants to parties — in memory for a load,
  with set-based SQL for what is stored — by one rule: the address of exactly one party,
  else a name (alias or the party's own name) of exactly one party. A name two parties
  share links to neither and is reported;
* :mod:`gaptrack.identity.report` lists the frequent participants no party claims, with
  suggested parties.
"""

from gaptrack.identity.names import normalise_name, parse_people, participant_key

__all__ = ["normalise_name", "parse_people", "participant_key"]
