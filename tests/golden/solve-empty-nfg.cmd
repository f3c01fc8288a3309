solve empty.nfg
