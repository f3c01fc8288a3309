evidence --help
