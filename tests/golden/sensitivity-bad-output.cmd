sensitivity game-small.casus --output wars
