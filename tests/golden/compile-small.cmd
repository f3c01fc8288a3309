compile game-small.casus --policy public --draw 5
