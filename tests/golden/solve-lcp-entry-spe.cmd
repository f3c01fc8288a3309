solve ../games/entry.efg --method lcp --spe --json
