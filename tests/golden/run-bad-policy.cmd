run game-small.casus --policy publc
