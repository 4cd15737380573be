"""Search: the query syntax (`query`), what every backend is given and answers (`results`),
the protocol and the choice of backend (`backend`), and the two backends: the embedded
Whoosh index (`whoosh_backend`) and PostgreSQL full text (`postgres_backend`)."""
