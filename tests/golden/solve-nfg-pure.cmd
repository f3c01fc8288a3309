solve ../games/coord_outcomes.nfg
