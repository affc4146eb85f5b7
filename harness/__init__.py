"""What the test suite and the benchmarks both need: the real server started
the way production starts it, and a valid submission. Imported by ``tests``
and ``bench`` from the repository root; it imports neither, and it is not
part of the installed package."""
