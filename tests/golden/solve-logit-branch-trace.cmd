solve ../games/coord3.nfg --method logit --trace --branch 1 --decimals 4
