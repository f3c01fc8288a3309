solve ../games/entry.efg --method spe
