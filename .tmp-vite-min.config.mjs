import react from '@vitejs/plugin-react';
export default { configFile: false, root: '/work/main/src/renderer', base: './', logLevel: 'info', plugins: [react()], build: { outDir: '/tmp/flowlab-dev/min-out', emptyOutDir: true, minify: true } };
