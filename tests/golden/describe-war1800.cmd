describe --scenario war1800-dispute
