lint bad-game2.casus
