solve ../games/coord3.nfg --method logit --branch 1,x
