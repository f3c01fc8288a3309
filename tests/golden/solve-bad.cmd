solve bad-game.efg
