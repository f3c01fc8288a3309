sensitivity --help
