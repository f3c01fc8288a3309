solve ../games/coord3.nfg --method logit
