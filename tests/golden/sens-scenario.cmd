sensitivity crisis.casus --output 'p(clash)'
