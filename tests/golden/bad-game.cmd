lint bad-game.casus
