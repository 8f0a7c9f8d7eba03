-- Statements whose output sluice must print exactly as psql 15 does (stdout and stderr).
-- Leading comments are dropped from statements, like psql.
select 1 as a, 'hello' as b, null::text as c, 2.5::numeric as d;
select;
select 'a
b' as "multi
head", 42 as n, E'x\ty' as t, E'cr\rlf' as cr, E'ctl\001x' as ctl;
select 'é' as "ü", '漢字' as wide, 'ab' as e;
select 1 where false;
select -1::int2 as i2, 2::int4 as i4, 3::int8 as i8, 1.5::float4 as f4, 2.25::float8 as f8,
       10::oid as o, '$1.00'::money as m, 'x' as t, true as b;
select x, repeat('*', x) as bar, x * 1.5 as half from generate_series(1, 12) as x;
select 'a;b' as semi, 'it''s' as quote, "col;name" from (select 1 as "col;name") s;
select /* block ; comment /* nested ; */ */ 2 as two; select 3 as three; -- trailing ; comment
select E'esc\';' as e_string;
select $$dollar ; quoted$$ as d, $tag$ $$ ; $tag$ as t;
create table tt(a int primary key, b text);
insert into tt values (1,'x'),(2,'y'),(3,null);
insert into tt values (4, 'z') returning *;
update tt set b = 'w' where a = 4;
delete from tt where a = 4;
select * from tt order by a;
insert into tt values (1, 'dup');
selec 1;
select 1/0;
select * from nosuch;
select nosuch_fn(1);
select a,
       b
  from tt
 where nosuchcol = 1;
do $$ begin raise notice 'hello %', 42; end $$;
select 'line1
line2
line3' as long_value, 1 as n
union all select 'short', 22 order by 2;
select null as n1, null::int as n2;
select '"q",x' as c, '' as e, null as n, '\.' as dot, 'a
b' as nl;
begin;
select 1 as in_tx;
commit;
drop table tt;
select 'no terminating semicolon at end of file' as last
