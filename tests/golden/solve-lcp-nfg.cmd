solve ../games/coord_outcomes.nfg --method lcp
