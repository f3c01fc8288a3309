evidence mid-disputes --columns --na -9
