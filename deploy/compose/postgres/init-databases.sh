#!/bin/sh
# One role and one database per service, each role owner of its own database only and no superuser (as ./platform
# does locally): a petition-service bug or injection cannot read case-service's tables.
set -eu
for svc in case petition tally delivery; do
  var="W4R_DB_PASSWORD_$(echo "$svc" | tr '[:lower:]' '[:upper:]')"
  eval "password=\${$var}"
  psql -v ON_ERROR_STOP=1 -U postgres -v role="w4r_$svc" -v password="$password" <<'SQL'
create role :"role" login password :'password' nosuperuser nocreatedb nocreaterole;
create database :"role" owner :"role";
revoke all on database :"role" from public;
SQL
done
