/*
 * A second counter beside the lineage revision: raised by every governance
 * evaluation, which reads the whole mesh and hands it to the lineage index
 * of the instance it runs on. The other instances compare it with the one
 * their index was read at and read the mesh again in the background, so a
 * product's declared lineage edited in the catalog does not wait for each
 * instance's own refresh.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_lineage_revision', table => {
    table
      .bigInteger('mesh_revision')
      .notNullable()
      .defaultTo(0)
      .comment('raised by every evaluation that read the mesh');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_lineage_revision', table => {
    table.dropColumn('mesh_revision');
  });
};
