SELECT -- in the middle; "
  2