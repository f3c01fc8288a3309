run bad-draw.casus --draws 20
