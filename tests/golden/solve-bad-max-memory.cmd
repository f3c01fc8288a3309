solve ../games/crisis_chance.efg --max-memory 12Q
