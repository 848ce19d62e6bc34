"""F4 Groebner bases over GF(p): the C core and its Python face."""
