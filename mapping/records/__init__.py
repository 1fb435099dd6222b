"""Record modules, one per torch namespace (or topic within `torch.*`). Each defines `RECORDS`."""
