/*
 * One counter for everything lineage reads besides the catalog: raised in
 * the transaction of every OpenLineage batch and with every change of access
 * grants. Each backend instance compares it with the one its in-memory index
 * was built at, so events stored through one instance show through every
 * instance at their next query.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_lineage_revision', table => {
    table.comment('The revision of the stored lineage, one row');
    table.integer('id').primary().comment('always 1');
    table
      .bigInteger('revision')
      .notNullable()
      .comment('raised by every change lineage reads');
  });
  await knex('dm_lineage_revision').insert({ id: 1, revision: 0 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_lineage_revision');
};
