run game-small.casus --draws 300 --seed 7 --json --lambda inf
