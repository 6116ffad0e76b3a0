;
;;
SELECT 1;;
  ;  -- nothing
/* nothing */ ;
SELECT 2
;
;
