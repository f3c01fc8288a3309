solve ../games/coord3.nfg --method logit --branch 2 --json
