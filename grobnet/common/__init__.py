"""Types and helpers shared by every layer: certified solution boxes and their
precision rules (:mod:`.boxes`), polynomial evaluation exactly, on balls and on floats
(:mod:`.evaluate`), and reproducible random primes (:mod:`.primes`)."""
