run game-small.casus --draws 500 --seed 7
