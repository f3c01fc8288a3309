compile bad-draw.casus --draw 3
