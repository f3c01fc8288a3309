compile game-small.casus --dot
