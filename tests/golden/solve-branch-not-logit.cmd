solve ../games/coord3.nfg --branch 1
