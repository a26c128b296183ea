"""Stand-in for tqdm (not installed in Debian's python3 here): the parity scripts only need the
iterable back; progress bars are irrelevant to the numbers."""


def tqdm(iterable=None, *args, **kwargs):
    return iterable
